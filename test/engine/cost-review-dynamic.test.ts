import { costReviewSuite } from "./suites/costReview";

costReviewSuite("dynamic");
