import { tendlcSuite } from "./suites/tendlc";

tendlcSuite("plugin");
