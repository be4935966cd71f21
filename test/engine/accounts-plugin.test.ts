import { accountsSuite } from "./suites/accounts";

accountsSuite("plugin");
