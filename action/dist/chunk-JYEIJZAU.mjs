import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{c as a}from"./chunk-C3VC6KFE.mjs";import"./chunk-LFREVYW3.mjs";export default a();
