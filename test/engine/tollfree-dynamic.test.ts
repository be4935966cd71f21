import { tollfreeSuite } from "./suites/tollfree";

tollfreeSuite("dynamic");
