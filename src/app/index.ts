// The app function, for Probot hosts (`probot run ./src/app/index.ts`, serverless adapters); `npm start` runs main.ts.
import { flowgateApp } from './flowgate-app.ts';

export default flowgateApp;
