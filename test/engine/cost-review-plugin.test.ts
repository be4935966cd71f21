import { costReviewSuite } from "./suites/costReview";

costReviewSuite("plugin");
