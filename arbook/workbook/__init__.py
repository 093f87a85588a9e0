"""The workbook: the monthly review and its analytics and findings, the report runner
(papermill), the Voilà server, where files live, and the sample business."""
