import { stagesSuite } from "./suites/stages";

stagesSuite("yaml");
