import { powerpackSuite } from "./suites/powerpack";

powerpackSuite("yaml");
