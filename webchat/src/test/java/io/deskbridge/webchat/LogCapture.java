package io.deskbridge.webchat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line written while it is open, at DEBUG and above from every logger (Jetty's included), rendered as a
 * reader of the log would see it: level, logger, message with its arguments, and any stack trace.
 */
final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root;
    private final Level rootLevel;
    private final Logger jetty;
    private final Level jettyLevel;
    private final AppenderBase<ILoggingEvent> appender;

    LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        jetty = context.getLogger("org.eclipse.jetty");
        rootLevel = root.getLevel();
        jettyLevel = jetty.getLevel();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
                if (event.getThrowableProxy() != null) {
                    line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
                }
                lines.add(line);
            }
        };
        appender.setContext(context);
        appender.start();
        root.setLevel(Level.DEBUG);
        jetty.setLevel(Level.INFO);
        root.addAppender(appender);
    }

    /** The lines so far. */
    List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The lines so far that contain {@code fragment}. */
    List<String> containing(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
        jetty.setLevel(jettyLevel);
    }
}
