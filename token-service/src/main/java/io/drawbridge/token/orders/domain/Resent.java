package io.drawbridge.token.orders.domain;

import io.drawbridge.token.issue.domain.IssuedToken;
import java.util.UUID;

/** A link re-sent: the new one (being emailed) in place of {@code replaced}. */
public record Resent(UUID replaced, IssuedToken token) {}
