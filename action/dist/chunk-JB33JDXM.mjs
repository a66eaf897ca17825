import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{a,b}from"./chunk-YO6ZCFRA.mjs";import"./chunk-WLPUUGQ7.mjs";import"./chunk-563V3YXO.mjs";import"./chunk-C3VC6KFE.mjs";import"./chunk-FSYQ6IUB.mjs";import"./chunk-AV4OVWYQ.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
