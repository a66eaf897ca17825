import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{a,b}from"./chunk-PXHAEVDF.mjs";import"./chunk-WLPUUGQ7.mjs";import"./chunk-563V3YXO.mjs";import"./chunk-TGKIGEXX.mjs";import"./chunk-FSYQ6IUB.mjs";import"./chunk-F2ANRPS6.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
