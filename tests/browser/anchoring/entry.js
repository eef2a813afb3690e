// Bundled by the browser tests (esbuild) and evaluated in the served article page.
import { createTextPositionSelectorMatcher, createTextQuoteSelectorMatcher } from "@apache-annotator/dom";

window.apacheAnnotator = { createTextPositionSelectorMatcher, createTextQuoteSelectorMatcher };
