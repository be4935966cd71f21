import { stagesSuite } from "./suites/stages";

stagesSuite("plugin");
