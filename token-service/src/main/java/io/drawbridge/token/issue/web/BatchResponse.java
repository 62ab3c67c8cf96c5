package io.drawbridge.token.issue.web;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The links of a batch, in order-id order. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record BatchResponse(int count, List<IssuedTokenResponse> tokens) {}
