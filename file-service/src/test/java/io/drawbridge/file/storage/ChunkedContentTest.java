package io.drawbridge.file.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ChunkedContentTest {

    private final NettyDataBufferFactory netty = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);

    @Test
    void cutsBuffersIntoFullPartsAndALastOneAndReleasesEveryBuffer() {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            DataBuffer buffer = netty.allocateBuffer(3);
            buffer.write(new byte[] {(byte) i, (byte) i, (byte) i});
            buffers.add(buffer);
        }
        long[] seen = {0};

        StepVerifier.create(ChunkedContent.split(Flux.fromIterable(buffers), 5, (b, o, l) -> seen[0] += l))
                .expectNextMatches(chunk -> chunk.length() == 5 && !chunk.last())
                .expectNextMatches(chunk -> chunk.length() == 5 && !chunk.last())
                .expectNextMatches(chunk -> chunk.length() == 5 && !chunk.last())
                .expectNextMatches(chunk -> chunk.length() == 5 && !chunk.last())
                .assertNext(chunk -> {
                    assertThat(chunk.last()).isTrue();
                    assertThat(chunk.length()).isEqualTo(1);
                    assertThat(chunk.data()[0]).isEqualTo((byte) 6);
                })
                .verifyComplete();

        assertThat(seen[0]).isEqualTo(21);
        assertThat(buffers).allSatisfy(b -> assertThat(((io.netty.buffer.ByteBuf)
                                ((org.springframework.core.io.buffer.NettyDataBuffer) b).getNativeBuffer())
                        .refCnt())
                .isZero());
    }

    @Test
    void exactMultipleEndsWithAnEmptyLastChunk() {
        var factory = DefaultDataBufferFactory.sharedInstance;
        StepVerifier.create(ChunkedContent.split(Flux.just(factory.wrap(new byte[10])), 5, (b, o, l) -> {}))
                .expectNextMatches(c -> c.length() == 5 && !c.last())
                .expectNextMatches(c -> c.length() == 5 && !c.last())
                .expectNextMatches(c -> c.length() == 0 && c.last())
                .verifyComplete();
    }

    @Test
    void anErrorFromTheSinkEndsTheStreamAndStillReleasesTheBuffer() {
        DataBuffer buffer = netty.allocateBuffer(4);
        buffer.write(new byte[4]);
        StepVerifier.create(ChunkedContent.split(Flux.just(buffer), 5, (b, o, l) -> {
                    throw new IllegalStateException("too big");
                }))
                .verifyErrorMessage("too big");
        assertThat(((io.netty.buffer.ByteBuf)
                                ((org.springframework.core.io.buffer.NettyDataBuffer) buffer).getNativeBuffer())
                        .refCnt())
                .isZero();
    }
}
