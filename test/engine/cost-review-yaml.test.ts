import { costReviewSuite } from "./suites/costReview";

costReviewSuite("yaml");
