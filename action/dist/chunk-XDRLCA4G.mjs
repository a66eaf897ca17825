import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{a,b}from"./chunk-73HSIP65.mjs";import"./chunk-VJEZN6VO.mjs";import"./chunk-C3VC6KFE.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
