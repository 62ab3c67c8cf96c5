package io.drawbridge.token.redeem.domain;

import java.util.UUID;

/** One file of a grant, as it was when granted (a later release does not change a grant in flight). */
public record GrantItem(
        UUID fileId, String objectKey, String name, long size, String sha256, String contentType, String platform) {}
