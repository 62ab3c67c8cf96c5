package io.drawbridge.file.share.domain;

import java.util.List;

/** One page of the admin list of shares, and how many there are in all. */
public record SharePage<T>(List<T> items, int page, int size, long total) {}
