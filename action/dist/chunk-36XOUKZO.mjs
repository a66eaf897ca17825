import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import{d as a}from"./chunk-4HTIDZN4.mjs";import"./chunk-A74X6MQP.mjs";import"./chunk-FX5Q4MTR.mjs";import"./chunk-LFREVYW3.mjs";export{a as postOutputs};
