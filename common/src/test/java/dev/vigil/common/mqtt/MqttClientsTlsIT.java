package dev.vigil.common.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.vigil.testkit.Mosquitto;
import dev.vigil.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The shared client builder against a real mosquitto with a TLS listener and certificates from TestPki. */
class MqttClientsTlsIT {

    private static final String USER = "robot";
    private static final String PASSWORD = "tls-Pa55-word-31";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean closed;
    private TestPki pki;
    private Mosquitto broker;
    private Mqtt5AsyncClient client;

    @BeforeEach
    void setUp() {
        log.start();
        ((Logger) LoggerFactory.getLogger("dev.vigil.mqtt")).addAppender(log);
        pki = TestPki.create(tmp.resolve("pki"));
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger("dev.vigil.mqtt")).detachAppender(log);
        closed = true;
        if (client != null && client.getState().isConnected()) {
            client.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void connect(final TestPki.Issued presented, final Path caFile) {
        broker = Mosquitto.builder().user(USER, PASSWORD).tls(presented).start();
        final BrokerSettings settings = new BrokerSettings("127.0.0.1", broker.tlsPort(), USER, PASSWORD,
                new BrokerTls(true, caFile), "tls-it-" + System.nanoTime(), Duration.ofMillis(100), Duration.ofMillis(400));
        client = MqttClients.builder(settings, line -> line)
                .addDisconnectedListener(context -> {
                    failures.incrementAndGet();
                    if (closed) {
                        context.getReconnector().reconnect(false);
                    }
                })
                .buildAsync();
        client.connect();
    }

    /** This test's client's warnings (an earlier test's client may still say its last word). */
    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(l -> l.contains("127.0.0.1:" + broker.tlsPort() + " unavailable")).toList();
    }

    /** The client fails for {@code problem}, says so once over several attempts, and connects after {@code fix}. */
    private void failsOnceClearly_thenConnectsAfter(final String problem, final Runnable fix) {
        await().atMost(WAIT).until(() -> failures.get() >= 4);
        assertEquals(1, warnings().size(), "one line however often it retries: " + warnings());
        assertTrue(warnings().get(0).contains(problem), warnings().get(0));
        assertTrue(!warnings().get(0).contains(PASSWORD) && !warnings().get(0).contains("Exception"), warnings().get(0));
        fix.run();
        await().atMost(WAIT).until(() -> client.getState().isConnected());
        assertTrue(log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("connected to 127.0.0.1:" + broker.tlsPort()
                + " after")));
    }

    @Test
    void connect_succeeds_withTheRightCaAndHostName() {
        connect(pki.goodServer(), pki.caFile());
        await().atMost(WAIT).until(() -> client.getState().isConnected());
        assertEquals(List.of(), warnings());
    }

    @Test
    void wrongCa_namesTheCaFile_onceWhileRetrying_andConnectsWhenTheFileIsFixed() throws Exception {
        final Path robotCa = Files.copy(TestPki.create(tmp.resolve("other"), "Other CA").caFile(), tmp.resolve("robot-ca.pem"));
        connect(pki.goodServer(), robotCa);
        failsOnceClearly_thenConnectsAfter("MQTT broker certificate for host 127.0.0.1 is not trusted by CA file " + robotCa,
                rethrowing(() -> Files.copy(pki.caFile(), robotCa, StandardCopyOption.REPLACE_EXISTING)));
    }

    @Test
    void expiredCertificate_namesItsEndDate_onceWhileRetrying_andConnectsWhenRenewed() {
        final TestPki.Issued expired = pki.expiredServer();
        connect(expired, pki.caFile());
        failsOnceClearly_thenConnectsAfter("MQTT broker certificate for host 127.0.0.1 expired on "
                + expired.certificate().getNotAfter().toInstant(), () -> broker.useCertificate(pki.goodServer()));
    }

    @Test
    void wrongHostName_namesBothNames_onceWhileRetrying_andConnectsWithTheRightCertificate() {
        connect(pki.wrongHostServer(), pki.caFile());
        failsOnceClearly_thenConnectsAfter("MQTT broker certificate does not match host name 127.0.0.1 (it is for DNS:"
                + TestPki.OTHER_HOST + ")", () -> broker.useCertificate(pki.goodServer()));
    }

    @Test
    void jvmTrustStore_refusesAPrivateCa_namingTheTrustStore() {
        connect(pki.goodServer(), null);
        await().atMost(WAIT).until(() -> failures.get() >= 2);
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("is not trusted by the JVM's trust store"), warnings().get(0));
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Runnable rethrowing(final Action action) {
        return () -> {
            try {
                action.run();
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

}
