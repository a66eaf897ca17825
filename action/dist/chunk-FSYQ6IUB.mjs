import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
function o(e){let t=e.maxOutputTokens??e.provider.max_output_tokens??8192;return Math.max(1,Math.floor(t))}var r=Object.freeze({tokens_in:0,tokens_out:0,cost_usd:0});export{o as a,r as b};
