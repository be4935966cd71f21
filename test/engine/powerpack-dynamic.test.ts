import { powerpackSuite } from "./suites/powerpack";

powerpackSuite("dynamic");
