import { quickstartSuite } from "./suites/quickstart";

quickstartSuite("plugin");
