package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zhuguan/zhuguan/service"
)

// NomineeNo is the student whose nomination of the current year waits for the admin's review.
const NomineeNo = "20190102"

// thisYear are employments of the current year so far: the demo student's, short of the hours a
// nomination needs, and the nominee's, above them, and one of the nominee's not yet recorded.
var thisYear = []pastEmployment{
	{studentNo: DemoStudentNo, unit: "图书馆", title: "文献传递服务助理",
		description: "处理校内外文献传递与馆际互借申请：检索馆藏、扫描文献并按时发送给读者，登记每笔申请的办理结果。",
		duty:        service.DutyAdministrative, pay: 100000, weeklyHours: 10, hours: 32,
		monthly: []service.Money{80000}},
	{studentNo: NomineeNo, unit: "基础医学院", title: "病理学实验课助教",
		description: "协助病理学实验课教学：课前准备切片和显微镜，课上辅导学生观察标本，课后整理实验室并登记器材。",
		duty:        service.DutyOther, pay: 150000, weeklyHours: 12, hours: 48,
		monthly: []service.Money{120000}},
	// Recorded never, so the current month has an employment whose record is missing.
	{studentNo: NomineeNo, unit: unitNames[0], title: "研究生招生咨询助理",
		description: "协助研究生院招生办答复考生关于报考条件、复试安排和调剂政策的电话与邮件咨询，每周整理常见问题并更新答复口径。",
		duty:        service.DutyAdministrative, pay: 80000, weeklyHours: 6, hours: 0},
}

// seedThisYear replays the current year up to now in year y: the employments of thisYear (each
// once: a position that exists is skipped) and the nominee's nomination, submitted and not yet
// reviewed (once: a nomination of the year stops it). The steps lie between the later of the
// year's start and forty days ago and the earlier of now and the year's end, so their months
// count towards the year's hours. Returns how many employments it wrote.
func seedThisYear(ctx context.Context, store service.Store, units []service.Unit, y *service.AcademicYear, now time.Time) (int, error) {
	r := newReplayer(ctx, store, units)
	end := now
	if y.EndDate.Before(end) {
		end = y.EndDate
	}
	start := end.AddDate(0, 0, -40)
	if start.Before(y.StartDate) {
		start = y.StartDate
	}
	at := func(fraction float64) time.Time { return start.Add(time.Duration(fraction * float64(end.Sub(start)))) }
	tl := timeline{
		created: at(0), applyStart: at(0), applyEnd: at(0.4), applied: at(0.1), closed: at(0.4),
		workStart: at(0.5), workEnd: y.EndDate.Add(18 * time.Hour), recorded: at(0.9),
	}
	written := 0
	for _, pe := range thisYear {
		if pe.studentNo != DemoStudentNo { // the demo student's profile is seeded before
			*r.clock = tl.created
			if _, err := seedProfile(r.student(pe.studentNo), r.svc, y.Name); err != nil {
				return written, fmt.Errorf("profile of %s: %w", pe.studentNo, err)
			}
		}
		done, err := r.exists(pe)
		if err != nil {
			return written, err
		}
		if done {
			continue
		}
		if err := r.employ(y.Name, pe, tl); err != nil {
			return written, err
		}
		written++
	}
	done, err := r.nominated(NomineeNo, y.Name)
	if err != nil || done {
		return written, err
	}
	*r.clock = now
	if _, err := r.svc.SubmitNomination(r.student(NomineeNo), service.NominationInput{AcademicYear: y.Name, Reason: nomineeReason}); err != nil {
		return written, fmt.Errorf("nomination of %s in %s: %w", NomineeNo, y.Name, err)
	}
	return written, nil
}

// nomineeReason is the nominee's self-nomination of the current year.
const nomineeReason = "本学年我在基础医学院担任病理学实验课助教，每周协助两次实验课，至今已记录工作四十八小时。" +
	"每次课前，我提前一小时到实验室，按照教学进度准备好当次课需要的切片和显微镜，逐台检查光源和物镜，确保每位同学都有一台状态良好的显微镜可用。" +
	"课上，我协助带教老师巡视各组，辅导同学们辨认正常组织与病变组织的形态特点，对常见的观察错误及时提醒，并把同学们集中提出的问题整理后反馈给老师，方便老师在下次课上统一讲解。" +
	"课后，我负责清点切片和器材，登记损耗情况，按规定处理废弃物，保持实验室整洁。" +
	"学期中，我发现部分切片盒的编号与目录不一致，于是利用课余时间对全部切片重新核对编号，更新了电子目录，此后取放切片的时间明显缩短，也减少了切片的丢失和损坏。" +
	"作为一名病理学专业的博士研究生，这份工作让我在帮助本科同学的同时重新梳理了自己的专业知识，也锻炼了表达和组织能力。" +
	"我始终把助教工作放在与科研同等重要的位置，从未因个人实验安排而迟到或缺席，遇到老师临时调课也能及时补位。" +
	"带教老师和同学们对我的工作给予了肯定，学期中期的学生评价中，实验课的满意度较上学期有所提高。" +
	"我希望申请本学年的优秀助管，今后我会继续认真做好每一次课前准备和课后整理，把实验课的服务工作做得更细致、更扎实，也把在助教工作中积累的经验用到自己的科研和今后的教学工作中。"
