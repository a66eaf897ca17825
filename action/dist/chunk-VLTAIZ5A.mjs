import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{a,b}from"./chunk-SOQRYBGH.mjs";import"./chunk-ZJW4Z3GD.mjs";import"./chunk-TGKIGEXX.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
