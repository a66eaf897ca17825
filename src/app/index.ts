// The Probot entry: `probot run ./src/app/index.ts` (npm start).
import { flowgateApp } from './flowgate-app.ts';

export default flowgateApp;
