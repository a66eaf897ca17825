import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);
import"./chunk-NOLD3FES.mjs";import{b as a}from"./chunk-52I75H4D.mjs";import{xa as i}from"./chunk-GPCOQCNB.mjs";import"./chunk-C3VC6KFE.mjs";import"./chunk-LFREVYW3.mjs";var d=`## How to answer

Answer with one JSON object and nothing else, in exactly this form:

{"decision": "approved", "feedback": "One sentence on why it is good enough."}

or

{"decision": "rejected", "feedback": "What must change, precisely enough to revise it without asking."}

- "decision" is the string "approved" or the string "rejected", in lower case, with nothing added.
- "feedback" is a string. When you reject, it must say what to change: it is handed to the author for the next attempt.
- Give exactly one object. Do not write anything before or after it, and do not put it in a code block.`;function c(r){let e=r?.trim()??"";return e===""?d:`${e}

${d}`}function f(r){let e=[];for(let n=r.indexOf("{");n!==-1;){let o=m(r,n),t=o===-1?void 0:l(r.slice(n,o+1));t!==void 0&&e.push(t),n=r.indexOf("{",t===void 0?n+1:o+1)}return e}function m(r,e){let n=0,o=!1;for(let t=e;t<r.length;t++){let s=r[t];if(o)s==="\\"?t++:s==='"'&&(o=!1);else if(s==='"')o=!0;else if(s==="{")n++;else if(s==="}"&&--n===0)return t}return-1}function l(r){try{let e=JSON.parse(r);return typeof e=="object"&&e!==null&&!Array.isArray(e)?e:void 0}catch{return}}var g=i.object({decision:i.string({error:'"decision" is not a string'}).trim().toLowerCase().pipe(i.enum(["approved","rejected"],{error:'"decision" is neither "approved" nor "rejected"'})),feedback:i.string({error:'"feedback" is not a string'}).optional()});function u(r){if(r.trim()==="")return{malformed:"the answer was empty"};let e=f(r).filter(t=>"decision"in t);if(e.length===0)return{malformed:`the answer holds no JSON object with a "decision" (it reads "${p(r)}")`};let n=[];for(let t of e){let s=g.safeParse(t);if(!s.success)return{malformed:`${s.error.issues[0]?.message??"the JSON object is not an answer"} in ${p(JSON.stringify(t))}`};n.push({decision:s.data.decision,feedback:s.data.feedback?.trim()??""})}let[o]=n;return o===void 0||n.some(t=>t.decision!==o.decision)?{malformed:"the answer holds both an approval and a rejection"}:o}function p(r){let e=r.replace(/\s+/g," ").trim();return e.length>120?`${e.slice(0,120)}…`:e}var h="The AI approver rejected the output without saying why.";async function R(r){let e=await a({...r,system:c(r.system)}),n=u(e.text);if("malformed"in n)return{decision:"rejected",feedback:`The answer of the AI approver "${r.name}" could not be read, so the output counts as rejected: ${n.malformed}.`,usage:e.usage,malformed:n.malformed};let o=n.decision==="rejected"&&n.feedback===""?h:n.feedback;return{decision:n.decision,feedback:o,usage:e.usage}}export{h as DEFAULT_REJECTION_FEEDBACK,R as askApprover};
