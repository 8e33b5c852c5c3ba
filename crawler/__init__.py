"""The Scrapy side of edunews: decoding, extraction and cleaning of education-news pages."""
