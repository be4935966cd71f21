import { tendlcSuite } from "./suites/tendlc";

tendlcSuite("dynamic");
