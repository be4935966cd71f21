import { quickstartSuite } from "./suites/quickstart";

quickstartSuite("yaml");
