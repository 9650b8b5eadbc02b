/**
 * What the page uses of zod, as named imports, so the bundler keeps only these. The contract
 * (src/tab/api-schema.ts) is written `import { z } from "zod"`; taken as a whole, that namespace
 * drags every locale and helper into the bundle (about 440 kB minified), since esbuild cannot
 * tree-shake a namespace used as a value. scripts/build-tab.ts points the page's `zod` here.
 * A schema method that needs another export keeps working: methods come with the schema classes.
 */
import { array, boolean, discriminatedUnion, enum as enum_, literal, number, object, record, string, union } from "zod";

export const z = { array, boolean, discriminatedUnion, enum: enum_, literal, number, object, record, string, union };
