import { accountsSuite } from "./suites/accounts";

accountsSuite("yaml");
