import { run } from "probot";
import batonApp from "./probot-app.js";

// `npm start`: Probot's own server. Without APP_ID/PRIVATE_KEY it serves its
// setup page, which registers the app from app.yml.
await run(batonApp);
