import { tollfreeSuite } from "./suites/tollfree";

tollfreeSuite("yaml");
