"""Data in and out: the claimdb/1 document, spreadsheets, CSV and ClaimReview exports, bulk loading, the demo."""
