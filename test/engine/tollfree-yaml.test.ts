import { tollfreeSuite } from "./suites/tollfree";

// The YAML program runs up, the no-change preview and refresh, and destroy: the YAML steps of every kind of edit are
// in the quickstart (quickstart-yaml.test.ts), the toll-free steps in the TypeScript variants.
tollfreeSuite("yaml", { smoke: true });
