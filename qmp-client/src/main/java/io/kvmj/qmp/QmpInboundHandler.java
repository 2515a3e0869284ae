package io.kvmj.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.io.InputStream;
import io.netty.channel.Channel;

/** Netty glue: one complete line in, one parsed JSON object out to the {@link QmpClient} (I/O thread). */
final class QmpInboundHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final QmpClient client;

    QmpInboundHandler(QmpClient client) {
        this.client = client;
    }

    /** The pipeline: line framing (max length, CR LF or LF) then this handler. */
    static ChannelInitializer<Channel> initializer(QmpClient client, int maxLineLength) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                install(ch, client, maxLineLength);
            }
        };
    }

    static void install(Channel ch, QmpClient client, int maxLineLength) {
        ch.pipeline().addLast("framer", new LineBasedFrameDecoder(maxLineLength, true, false));
        ch.pipeline().addLast("qmp", new QmpInboundHandler(client));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        client.onActive(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        if (isBlank(line)) {
            return;
        }
        int start = line.readerIndex();
        JsonNode node;
        try (InputStream in = new ByteBufInputStream(line)) {
            node = QmpJson.readTree(in);
        } catch (IOException e) {
            line.readerIndex(start);
            client.onMalformed(line, e);
            return;
        }
        if (node == null || !node.isObject()) {
            line.readerIndex(start);
            client.onMalformed(line, null);
            return;
        }
        client.onMessage(node);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        client.onReadComplete();
        super.channelReadComplete(ctx);
    }

    private static boolean isBlank(ByteBuf b) {
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
            byte c = b.getByte(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        client.onInactive();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            client.onTooLong(cause);
            return;
        }
        client.onError(cause);
        ctx.close();
    }
}
