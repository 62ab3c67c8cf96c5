package io.drawbridge.token.issue.domain;

import java.util.List;

/** One page of tokens, newest first, and how many match in all. */
public record TokenPage(List<DownloadToken> items, int page, int size, long total) {}
