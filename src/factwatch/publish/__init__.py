"""Publication: ClaimReview, feeds, reports, evidence packages."""
