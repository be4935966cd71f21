import { tollfreeSuite } from "./suites/tollfree";

tollfreeSuite("plugin");
