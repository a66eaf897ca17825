import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{c as a}from"./chunk-TGKIGEXX.mjs";import"./chunk-LFREVYW3.mjs";export default a();
