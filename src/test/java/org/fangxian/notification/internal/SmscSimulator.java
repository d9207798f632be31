package org.fangxian.notification.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

/**
 * An SMS centre inside the test (jSMPP's server side): accepts binds with one account,
 * records every submit_sm with its arrival time, answers with hex message ids, sends
 * delivery receipts on request, and can drop the connection instead of answering the n-th
 * submit.
 */
public class SmscSimulator implements AutoCloseable {

	public static final String SYSTEM_ID = "fangxian";

	public static final String PASSWORD = "s3cr8Pa5";

	/** One submit_sm as the centre got it. */
	public record Submit(long arrivedNanos, String messageId, String destination, byte dataCoding, byte esmClass,
			byte[] shortMessage, boolean receiptRequested) {

		boolean hasHeader() {
			return GSMSpecificFeature.UDHI.containedIn(this.esmClass);
		}

		/**
		 * The text of this short message, decoded as its data_coding says (here: UCS2
		 * only).
		 */
		public String text() {
			if (this.dataCoding != 0x08) {
				throw new AssertionError("data_coding " + this.dataCoding + " is not UCS2");
			}
			int skip = hasHeader() ? (this.shortMessage[0] & 0xFF) + 1 : 0;
			return new String(this.shortMessage, skip, this.shortMessage.length - skip, StandardCharsets.UTF_16BE);
		}

		/** {reference, count, sequence} of a concatenated part. */
		int[] concatenation() {
			byte[] m = this.shortMessage;
			if (!hasHeader() || m[0] != 5 || m[1] != 0 || m[2] != 3) {
				throw new AssertionError("no 8-bit concatenation header");
			}
			return new int[] { m[3] & 0xFF, m[4] & 0xFF, m[5] & 0xFF };
		}

	}

	public final int port;

	public final List<Submit> submits = new CopyOnWriteArrayList<>();

	public final AtomicInteger binds = new AtomicInteger();

	final AtomicInteger enquireLinks = new AtomicInteger();

	/**
	 * Submits the centre answers before it drops the connection at the next one (0:
	 * never).
	 */
	volatile int dropAfter;

	private final SMPPServerSessionListener listener;

	private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong(0x5A0000);

	private final Thread acceptor;

	private volatile boolean open = true;

	public SmscSimulator() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			this.port = probe.getLocalPort();
		}
		this.listener = new SMPPServerSessionListener(this.port);
		this.listener.setMessageReceiverListener(new Receiver());
		this.acceptor = new Thread(this::acceptLoop, "smsc-simulator");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	private void acceptLoop() {
		while (this.open) {
			try {
				SMPPServerSession session = this.listener.accept();
				BindRequest bind = session.waitForBind(5_000);
				if (SYSTEM_ID.equals(bind.getSystemId()) && PASSWORD.equals(bind.getPassword())) {
					bind.accept("simulator");
					this.binds.incrementAndGet();
					this.sessions.add(session);
				}
				else {
					bind.reject(SMPPConstant.STAT_ESME_RINVPASWD);
				}
			}
			catch (Exception ex) {
				if (!this.open) {
					return;
				}
			}
		}
	}

	/**
	 * The texts as a phone shows them: single messages as they are, parts joined by
	 * reference.
	 */
	List<String> textsAsPhonesShowThem() {
		List<String> texts = new ArrayList<>();
		Map<String, Map<Integer, String>> parts = new LinkedHashMap<>();
		for (Submit submit : this.submits) {
			if (!submit.hasHeader()) {
				texts.add(submit.text());
				continue;
			}
			int[] c = submit.concatenation();
			Map<Integer, String> message = parts.computeIfAbsent(submit.destination() + "/" + c[0] + "/" + c[1],
					k -> new java.util.TreeMap<>());
			message.put(c[2], submit.text());
			if (message.size() == c[1]) {
				texts.add(String.join("", message.values()));
			}
		}
		return texts;
	}

	/**
	 * Sends a delivery receipt for one of the submitted short messages, naming it as
	 * {@code idAsWritten}.
	 */
	void receipt(String idAsWritten, DeliveryReceiptState state, String error) throws Exception {
		SMPPServerSession session = this.sessions.get(this.sessions.size() - 1);
		Date now = new Date();
		DeliveryReceipt receipt = new DeliveryReceipt(idAsWritten, 1, state == DeliveryReceiptState.DELIVRD ? 1 : 0,
				now, now, state, error, "");
		session.deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.ISDN, "13800000000",
				TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "10690000",
				new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT), (byte) 0,
				(byte) 0, new RegisteredDelivery(0), GeneralDataCoding.DEFAULT,
				receipt.toString().getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public void close() throws Exception {
		this.open = false;
		for (SMPPServerSession session : this.sessions) {
			session.close();
		}
		this.listener.close();
		this.acceptor.join(TimeUnit.SECONDS.toMillis(5));
	}

	private final class Receiver implements ServerMessageReceiverListener {

		@Override
		public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
				throws ProcessRequestException {
			long now = System.nanoTime();
			int drop = SmscSimulator.this.dropAfter;
			if (drop > 0 && SmscSimulator.this.submits.size() >= drop) {
				// the connection dies with this submit unanswered: the client cannot know
				// it was never taken
				SmscSimulator.this.dropAfter = 0;
				SmscSimulator.this.sessions.remove(source);
				new Thread(source::close).start();
				try {
					Thread.sleep(500); // closed before an answer could be written
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				throw new ProcessRequestException("dropped", SMPPConstant.STAT_ESME_RSYSERR);
			}
			String id = Long.toHexString(SmscSimulator.this.ids.incrementAndGet()).toUpperCase();
			SmscSimulator.this.submits.add(new Submit(now, id, submitSm.getDestAddress(), submitSm.getDataCoding(),
					submitSm.getEsmClass(), submitSm.getShortMessage(), submitSm.getRegisteredDelivery() != 0));
			try {
				return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
			}
			catch (org.jsmpp.PDUStringException ex) {
				throw new ProcessRequestException("bad id", SMPPConstant.STAT_ESME_RSYSERR, ex);
			}
		}

		@Override
		public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
				throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
				SMPPServerSession source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
			throw new ProcessRequestException("not here", SMPPConstant.STAT_ESME_RINVCMDID);
		}

		@Override
		public void onAcceptEnquireLink(org.jsmpp.bean.EnquireLink enquireLink, Session source) {
			SmscSimulator.this.enquireLinks.incrementAndGet();
		}

	}

}
