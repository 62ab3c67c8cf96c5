package io.drawbridge.token.delivery.domain;

import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantStatus;

/**
 * Whether a grant still holds, as the gateway asks before every response: its status now, and the token's byte
 * budget ({@code (maxDownloads + 1) × total size}) against the bytes delivered under it so far, all grants
 * together. The budget is what stops a grant from being resumed forever after its use was given back.
 */
public record GrantStanding(Grant grant, GrantStatus status, long bytesDelivered, long byteBudget) {}
