import { quickstartSuite } from "./suites/quickstart";

quickstartSuite("dynamic");
