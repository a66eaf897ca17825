// `npm run actionlint`: lints every workflow file with actionlint (see lint-workflow-files.ts); exits 1 on findings.
import { formatWorkflowFinding, lintWorkflowFiles, workflowFiles } from './lint-workflow-files.ts';

const root = new URL('../', import.meta.url);
const findings = await lintWorkflowFiles(root);
for (const finding of findings) console.log(formatWorkflowFinding(finding));
console.log(`actionlint: ${workflowFiles(root).length} workflow files, ${findings.length} findings`);
process.exitCode = findings.length === 0 ? 0 : 1;
