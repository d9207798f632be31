package org.fangxian.notification.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.fangxian.notification.SmsGateway;
import org.fangxian.shared.PhoneNumber;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageClass;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Texts to residents through an operator's SMS centre over SMPP 3.4 (jSMPP). One bound
 * session (transceiver, so that delivery receipts come back on it) kept alive with
 * enquire_link and re-bound with a growing pause after the centre drops it. Texts go as
 * UCS2, long ones in UDH-joined parts, each part asking for a delivery receipt and spaced
 * to the account's rate.
 *
 * <p>
 * While the connection is down a send waits briefly, then gives the message back to the
 * outbox ({@link SmsGateway.Unavailable}) untouched, so nothing is lost or counted as a
 * failed attempt. A submit whose answer never came is the one ambiguous case: the outbox
 * retries it (at least once, as for any gateway), with the same concatenation reference
 * so that a phone joins a resent part with the others.
 */
public class SmppGateway implements SmsGateway, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SmppGateway.class);

	private static final GeneralDataCoding UCS2 = new GeneralDataCoding(Alphabet.ALPHA_UCS2, (MessageClass) null,
			false);

	/**
	 * Answers that say "not now" rather than "never": the message is tried again later.
	 */
	private static final Set<Integer> TRANSIENT = Set.of(SMPPConstant.STAT_ESME_RTHROTTLED,
			SMPPConstant.STAT_ESME_RMSGQFUL, SMPPConstant.STAT_ESME_RSYSERR, SMPPConstant.STAT_ESME_RX_T_APPN,
			SMPPConstant.STAT_ESME_RSUBMITFAIL, SMPPConstant.STAT_ESME_RINVBNDSTS);

	private final SmppSettings settings;

	private final DeliveryReceipts receipts;

	private final Throttle throttle;

	private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread thread = new Thread(task, "smpp-connect");
		thread.setDaemon(true);
		return thread;
	});

	private final Object lock = new Object();

	// guarded by lock
	private SMPPSession session;

	private int failedBinds;

	private boolean connectPending;

	private boolean closed;

	public SmppGateway(SmppSettings settings, DeliveryReceipts receipts) {
		this.settings = settings;
		this.receipts = receipts;
		this.throttle = new Throttle(settings.rate());
	}

	/**
	 * Starts binding in the background; sends wait for it up to
	 * {@link SmppSettings#connectWait()}.
	 */
	public void start() {
		log.info("SMPP gateway: {}", this.settings);
		scheduleConnect(Duration.ZERO);
	}

	/** Whether a bound session is there now. */
	public boolean connected() {
		synchronized (this.lock) {
			return this.session != null;
		}
	}

	@Override
	public String send(Sms sms) {
		if (!sms.to().mobile()) {
			throw new Rejected("not a mobile number");
		}
		// the outbox id's low byte: the same for every part, and again when the text is
		// sent again
		List<byte[]> segments = Ucs2Segments.of(sms.text(), (int) (sms.messageId() & 0xFF));
		SMPPSession current = awaitSession();
		List<String> ids = new ArrayList<>(segments.size());
		for (int i = 0; i < segments.size(); i++) {
			try {
				this.throttle.acquire();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new Unavailable("interrupted");
			}
			String id = submit(current, sms, segments.get(i), segments.size() > 1);
			this.receipts.submitted(sms.messageId(), i + 1, segments.size(), id);
			ids.add(id);
		}
		return ids.size() == 1 ? ids.get(0) : ids.get(0) + " (+" + (ids.size() - 1) + ")";
	}

	private String submit(SMPPSession current, Sms sms, byte[] message, boolean withHeader) {
		ESMClass esm = new ESMClass(MessageMode.DEFAULT, MessageType.DEFAULT,
				withHeader ? GSMSpecificFeature.UDHI : GSMSpecificFeature.DEFAULT);
		PhoneNumber to = sms.to();
		try {
			return current
				.submitShortMessage("", sourceTon(), NumberingPlanIndicator.UNKNOWN, this.settings.sourceAddr(),
						this.settings.international() ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN,
						NumberingPlanIndicator.ISDN, this.settings.international() ? "86" + to.value() : to.value(),
						esm, (byte) 0, (byte) 1, null, null,
						new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, UCS2, (byte) 0, message,
						// the outbox id as the client's reference, for centres that
						// deduplicate on it
						new OptionalParameter.Short(OptionalParameter.Tag.USER_MESSAGE_REFERENCE,
								(short) sms.messageId()))
				.getMessageId();
		}
		catch (NegativeResponseException ex) {
			String status = String.format("command_status 0x%08X", ex.getCommandStatus());
			if (TRANSIENT.contains(ex.getCommandStatus())) {
				throw new IllegalStateException("SMS centre busy: " + status);
			}
			throw new Rejected("SMS centre refused: " + status);
		}
		catch (ResponseTimeoutException ex) {
			throw new IllegalStateException("no answer from the SMS centre within " + this.settings.responseTimeout());
		}
		catch (InvalidResponseException ex) {
			throw new IllegalStateException("invalid answer from the SMS centre: " + ex.getMessage());
		}
		catch (PDUException ex) {
			throw new Rejected("cannot be put into a submit_sm: " + ex.getMessage());
		}
		catch (IOException ex) {
			// written on a dead connection: the centre never saw it
			dropped(current);
			throw new Unavailable("connection to the SMS centre lost: " + ex.getMessage());
		}
	}

	private TypeOfNumber sourceTon() {
		String source = this.settings.sourceAddr();
		return !source.isEmpty() && !source.chars().allMatch(Character::isDigit) ? TypeOfNumber.ALPHANUMERIC
				: TypeOfNumber.UNKNOWN;
	}

	private SMPPSession awaitSession() {
		long deadline = System.nanoTime() + this.settings.connectWait().toNanos();
		synchronized (this.lock) {
			while (this.session == null && !this.closed) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new Unavailable("not connected to the SMS centre");
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new Unavailable("interrupted");
				}
			}
			if (this.closed) {
				throw new Unavailable("SMPP gateway closed");
			}
			return this.session;
		}
	}

	private void scheduleConnect(Duration delay) {
		synchronized (this.lock) {
			if (this.closed || this.connectPending) {
				return;
			}
			this.connectPending = true;
		}
		this.connector.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void connect() {
		synchronized (this.lock) {
			this.connectPending = false;
			if (this.closed || this.session != null) {
				return;
			}
		}
		SMPPSession candidate = new SMPPSession();
		candidate.setEnquireLinkTimer((int) this.settings.enquireLink().toMillis());
		candidate.setTransactionTimer(this.settings.responseTimeout().toMillis());
		candidate.setMessageReceiverListener(new Receiver());
		try {
			candidate.connectAndBind(this.settings.host(), this.settings.port(),
					new BindParameter(
							this.settings.bindType() == SmppSettings.BindKind.TRANSMITTER ? BindType.BIND_TX
									: BindType.BIND_TRX,
							this.settings.systemId(), this.settings.password(), this.settings.systemType(),
							TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
					this.settings.responseTimeout().toMillis());
		}
		catch (IOException | RuntimeException ex) {
			candidate.close();
			Duration pause;
			synchronized (this.lock) {
				// the first retry after a drop already waited the first pause
				pause = pause(++this.failedBinds + 1);
			}
			// the exception text may name the bind's outcome, never its password
			log.warn("SMPP bind to {}:{} as {} failed ({}); next try in {} ms", this.settings.host(),
					this.settings.port(), this.settings.systemId(), ex.getMessage(), pause.toMillis());
			scheduleConnect(pause);
			return;
		}
		candidate.addSessionStateListener((state, before, source) -> {
			if (!state.isBound()) {
				dropped(candidate);
			}
		});
		synchronized (this.lock) {
			if (this.closed) {
				this.connector.execute(candidate::unbindAndClose);
				return;
			}
			this.session = candidate;
			this.failedBinds = 0;
			this.lock.notifyAll();
		}
		log.info("SMPP bound to {}:{} as {}", this.settings.host(), this.settings.port(), this.settings.systemId());
		if (!candidate.getSessionState().isBound()) {
			dropped(candidate);
		}
	}

	/** The centre closed the connection, or it broke: bind again after a pause. */
	private void dropped(SMPPSession which) {
		synchronized (this.lock) {
			if (this.session != which) {
				return;
			}
			this.session = null;
		}
		log.warn("SMPP connection to {}:{} lost; binding again", this.settings.host(), this.settings.port());
		// closed from our own thread: jSMPP calls this listener from its reader thread,
		// which close() joins
		this.connector.execute(which::close);
		scheduleConnect(this.settings.reconnectMin());
	}

	/** After 1, 2, 3 … failed binds: 1×, 2×, 4× … the first pause, up to the longest. */
	Duration pause(int failures) {
		long factor = 1L << Math.min(Math.max(failures - 1, 0), 20);
		Duration pause = this.settings.reconnectMin().multipliedBy(factor);
		return pause.compareTo(this.settings.reconnectMax()) > 0 ? this.settings.reconnectMax() : pause;
	}

	@Override
	public void close() {
		SMPPSession last;
		synchronized (this.lock) {
			this.closed = true;
			last = this.session;
			this.session = null;
			this.lock.notifyAll();
		}
		if (last != null) {
			last.unbindAndClose();
		}
		this.connector.shutdownNow();
	}

	/**
	 * What the centre sends us: delivery receipts; anything else is acknowledged and
	 * dropped.
	 */
	private final class Receiver implements MessageReceiverListener {

		@Override
		public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
			if (!MessageType.SMSC_DEL_RECEIPT.containedIn(deliverSm.getEsmClass())) {
				// residents cannot reply to these texts; a reply is acknowledged so the
				// centre stops resending it
				log.info("SMPP: a message from {} was not a receipt and is ignored", masked(deliverSm.getSourceAddr()));
				return;
			}
			DeliveryReceipt receipt;
			try {
				receipt = deliverSm.getShortMessageAsDeliveryReceipt();
			}
			catch (InvalidDeliveryReceiptException ex) {
				log.warn("SMPP: unreadable delivery receipt ignored: {}", ex.getMessage());
				return;
			}
			DeliveryReceipts.Outcome outcome = switch (receipt.getFinalStatus()) {
				case DELIVRD -> DeliveryReceipts.Outcome.DELIVERED;
				case UNDELIV, EXPIRED, DELETED, REJECTD, UNKNOWN -> DeliveryReceipts.Outcome.UNDELIVERED;
				// ENROUTE and ACCEPTD say nothing final about the phone
				default -> null;
			};
			if (outcome == null) {
				return;
			}
			List<String> ids = new ArrayList<>(2);
			if (deliverSm.getOptionalParameter(
					OptionalParameter.Tag.RECEIPTED_MESSAGE_ID) instanceof OptionalParameter.OctetString tlv) {
				ids.add(tlv.getValueAsString());
			}
			ids.add(receipt.getId());
			String error = receipt.getFinalStatus() + (receipt.getError() == null ? "" : " err:" + receipt.getError());
			try {
				if (SmppGateway.this.receipts.received(ids, outcome, error).isEmpty()) {
					log.info("SMPP: receipt for unknown message id {} ignored", receipt.getId());
				}
			}
			catch (RuntimeException ex) {
				// not acknowledged: the centre sends the receipt again later
				log.warn("SMPP: receipt {} not recorded: {}", receipt.getId(), ex.toString());
				throw new ProcessRequestException("receipt not recorded", SMPPConstant.STAT_ESME_RX_T_APPN, ex);
			}
		}

		@Override
		public void onAcceptAlertNotification(AlertNotification alertNotification) {
		}

		@Override
		public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
			throw new ProcessRequestException("data_sm is not taken", SMPPConstant.STAT_ESME_RINVCMDID);
		}

	}

	private static String masked(String address) {
		return PhoneNumber.parse(address).map(PhoneNumber::masked).orElse("an unknown number");
	}

}
