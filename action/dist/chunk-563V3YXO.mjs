import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
var E=/KEY|TOKEN|SECRET|PASSWORD/i;function c(r,s){let i=Object.entries(s).filter(([t,e])=>E.test(t)&&e!==void 0&&e.length>=8).map(([,t])=>t).sort((t,e)=>e.length-t.length),n=r;for(let t of i)n=n.split(t).join("***");return n}export{c as a};
