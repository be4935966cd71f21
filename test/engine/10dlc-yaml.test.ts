import { tendlcSuite } from "./suites/tendlc";

tendlcSuite("yaml");
