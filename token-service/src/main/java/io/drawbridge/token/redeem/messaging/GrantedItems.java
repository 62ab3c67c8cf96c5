package io.drawbridge.token.redeem.messaging;

import io.drawbridge.events.GrantedItem;
import io.drawbridge.token.redeem.domain.GrantItem;
import java.util.List;

/** A grant's files as the contract carries them: in DownloadGranted and in the gateway's grant view. */
public final class GrantedItems {

    private GrantedItems() {}

    public static List<GrantedItem> of(List<GrantItem> items) {
        return items.stream()
                .map(item -> new GrantedItem(
                        item.fileId(),
                        item.objectKey(),
                        item.name(),
                        item.size(),
                        item.sha256(),
                        item.contentType(),
                        item.platform(),
                        item.crc32()))
                .toList();
    }
}
