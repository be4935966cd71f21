import { powerpackSuite } from "./suites/powerpack";

powerpackSuite("plugin");
