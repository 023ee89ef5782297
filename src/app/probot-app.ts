import type { ApplicationFunction, Probot } from "probot";

/**
 * The Probot application: event wiring only. Handlers turn an event into a
 * plain job request and enqueue it; the job runner does the work.
 */
const batonApp: ApplicationFunction = (app: Probot) => {
  app.log.info("Baton loaded");
};

export default batonApp;
