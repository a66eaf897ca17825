import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
<<<<<<<< HEAD:action/dist/chunk-EEV3NZOE.mjs
import{a,b}from"./chunk-MINBBXYC.mjs";import"./chunk-VJEZN6VO.mjs";import"./chunk-C3VC6KFE.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
========
import{a,b}from"./chunk-SOQRYBGH.mjs";import"./chunk-ZJW4Z3GD.mjs";import"./chunk-TGKIGEXX.mjs";import"./chunk-LFREVYW3.mjs";export{a as DEFAULT_MAX_ATTEMPTS,b as callModel};
>>>>>>>> lib-images:action/dist/chunk-VLTAIZ5A.mjs
