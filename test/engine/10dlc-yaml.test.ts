import { tendlcSuite } from "./suites/tendlc";

// The YAML program runs up, the no-change preview and refresh, and destroy: the YAML steps of every kind of edit are
// in the quickstart (quickstart-yaml.test.ts), the 10DLC steps in the TypeScript variants.
tendlcSuite("yaml", { smoke: true });
